import { ApiProperty } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsInt, IsNotEmpty, IsString, MaxLength, Min } from 'class-validator';

export class CreateReservationDto {
  @ApiProperty({ example: 1, description: 'Seat number, 1..MAX_SEATS' })
  @IsInt({ message: 'seat_id must be an integer' })
  @Min(1, { message: 'seat_id must be at least 1' })
  seat_id!: number;

  @ApiProperty({ example: 'Ana', maxLength: 100 })
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsString({ message: 'customer_name must be a string' })
  @IsNotEmpty({ message: 'customer_name must not be empty' })
  @MaxLength(100, { message: 'customer_name must be at most 100 characters' })
  customer_name!: string;

  @ApiProperty({ example: 'server-2', description: 'Booking server that receives the attempt' })
  @IsString({ message: 'server_id must be a string' })
  @IsNotEmpty({ message: 'server_id must not be empty' })
  server_id!: string;
}
